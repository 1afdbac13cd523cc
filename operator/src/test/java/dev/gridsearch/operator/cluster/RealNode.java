package dev.gridsearch.operator.cluster;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real node of the local control plane (hack/realnode.sh: a kubelet, containerd and runc),
 * brought up once per run on first use. Where it cannot run (not root, no runc...) it throws, with
 * the script's reason: the real-node tier fails rather than skip.
 */
final class RealNode {
  static final String LABEL_KEY = "gridsearch.dev/node";
  static final String LABEL_VALUE = "real";
  static final String TAINT_KEY = "gridsearch.dev/real-node";

  /** What a pod template needs to run there, and only there (YAML flow style, one line each). */
  static final String PLACEMENT =
      """
      nodeSelector: {%s: %s}
      tolerations: [{key: %s, operator: Exists, effect: NoSchedule}]
      """
          .formatted(LABEL_KEY, LABEL_VALUE, TAINT_KEY);

  private static String node;

  private RealNode() {}

  /** The real node's name, once it is Ready. */
  static synchronized String ensure(ClusterNamespace ns) throws IOException, InterruptedException {
    if (node != null) {
      return node;
    }
    if (System.getenv(TestCluster.KUBECONFIG_ENV) == null
        && !"k3s".equals(System.getProperty("gridsearch.cluster"))) {
      log("bringing up the real node (hack/realnode.sh up)");
      Process p =
          new ProcessBuilder(RepoFiles.root().resolve("hack/realnode.sh").toString(), "up")
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      output.lines().forEach(l -> log(l));
      if (exit != 0) {
        throw new IllegalStateException(
            "THE REAL-NODE TIER CANNOT RUN HERE: hack/realnode.sh up failed (exit "
                + exit
                + "). It needs root, Linux cgroups and a runc that can run a container:\n"
                + output);
      }
    }
    List<Node> nodes =
        ns.client().nodes().withLabel(LABEL_KEY, LABEL_VALUE).list().getItems().stream()
            .filter(RealNode::ready)
            .toList();
    if (nodes.isEmpty()) {
      throw new IllegalStateException(
          "THE REAL-NODE TIER CANNOT RUN HERE: no Ready node labelled "
              + LABEL_KEY
              + "="
              + LABEL_VALUE
              + " in the cluster (on a cluster of your own, label and taint a node that has the"
              + " images of hack/images.sh)");
    }
    node = nodes.get(0).getMetadata().getName();
    return node;
  }

  private static boolean ready(Node n) {
    return n.getStatus() != null
        && n.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** An image reference from hack/versions.env (PAUSE_IMAGE, BUSYBOX_IMAGE, PYTHON_IMAGE). */
  static String image(String variable) {
    try {
      Map<String, String> vars =
          Files.readAllLines(RepoFiles.root().resolve("hack/versions.env")).stream()
              .filter(l -> l.matches("^[A-Z_]+=.*"))
              .collect(
                  Collectors.toMap(
                      l -> l.substring(0, l.indexOf('=')),
                      l -> l.substring(l.indexOf('=') + 1),
                      (a, b) -> b));
      String value = vars.get(variable);
      if (value == null) {
        throw new IllegalStateException(variable + " is not set in hack/versions.env");
      }
      return value;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void log(String line) {
    System.out.println("[real-node] " + line);
  }
}

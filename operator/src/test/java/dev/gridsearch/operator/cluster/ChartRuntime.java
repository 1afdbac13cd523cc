package dev.gridsearch.operator.cluster;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the chart runs the operator with its defaults: the JVM options of the container's command,
 * the environment with literal values, and the memory limit. Read from deploy/deployment.yaml,
 * which DeploySyncTest keeps equal to the chart's rendering.
 */
public record ChartRuntime(
    List<String> jvmOptions, Map<String, String> env, long memoryLimitBytes) {

  public static ChartRuntime defaults() throws IOException {
    Deployment deployment =
        new KubernetesSerialization()
            .unmarshal(
                Files.readString(RepoFiles.root().resolve("deploy/deployment.yaml")),
                Deployment.class);
    Container c = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    List<String> command = c.getCommand();
    int jar = command == null ? -1 : command.indexOf("-jar");
    if (jar < 1 || !command.get(0).equals("java")) {
      throw new IllegalStateException(
          "deploy/deployment.yaml: the operator's command is not `java <options> -jar ...`: "
              + command);
    }
    Quantity limit = c.getResources().getLimits().get("memory");
    return new ChartRuntime(
        List.copyOf(command.subList(1, jar)),
        c.getEnv().stream()
            .filter(e -> e.getValue() != null)
            .collect(Collectors.toUnmodifiableMap(EnvVar::getName, EnvVar::getValue)),
        Quantity.getAmountInBytes(limit).longValueExact());
  }
}

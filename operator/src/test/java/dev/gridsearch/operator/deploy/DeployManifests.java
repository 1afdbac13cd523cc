package dev.gridsearch.operator.deploy;

import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The objects deploy/kustomization.yaml lists, parsed. */
public final class DeployManifests {
  private static final Path DEPLOY = RepoFiles.root().resolve("deploy");

  private DeployManifests() {}

  public static List<GenericKubernetesResource> objects() throws IOException {
    @SuppressWarnings("unchecked")
    List<String> resources =
        (List<String>)
            ChartRender.YAML
                .unmarshal(Files.readString(DEPLOY.resolve("kustomization.yaml")), Map.class)
                .get("resources");
    List<GenericKubernetesResource> out = new ArrayList<>();
    for (String file : resources) {
      Arrays.stream(Files.readString(DEPLOY.resolve(file)).split("(?m)^---\\s*$"))
          .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
          .forEach(
              doc -> out.add(ChartRender.YAML.unmarshal(doc, GenericKubernetesResource.class)));
    }
    return out;
  }
}

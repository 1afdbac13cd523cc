package dev.gridsearch.operator.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.gridsearch.operator.RepoFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The chart rendered by real Helm (helm-java), parsed into objects. */
public final class ChartRender {
  public static final Path CHART = RepoFiles.root().resolve("helm/gridsearch-operator");
  public static final KubernetesSerialization YAML = new KubernetesSerialization();

  private final String yaml;
  private final List<GenericKubernetesResource> objects;

  private ChartRender(String yaml) {
    this.yaml = yaml;
    this.objects =
        Arrays.stream(yaml.split("(?m)^---\\s*$"))
            .map(String::strip)
            .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
            .map(doc -> YAML.unmarshal(doc, GenericKubernetesResource.class))
            .toList();
  }

  /** helm template RELEASE CHART -n NAMESPACE --set k=v ... */
  public static ChartRender template(String release, String namespace, Map<String, String> values) {
    TemplateCommand cmd = new Helm(CHART).template().withName(release).withNamespace(namespace);
    values.forEach(cmd::set);
    return new ChartRender(cmd.call());
  }

  public String yaml() {
    return yaml;
  }

  public List<GenericKubernetesResource> objects() {
    return objects;
  }

  public List<GenericKubernetesResource> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  public Optional<GenericKubernetesResource> find(String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName()))
        .findFirst();
  }

  /** One object as a typed model (Deployment, Role...). */
  public <T extends HasMetadata> T typed(String kind, String name, Class<T> type) {
    GenericKubernetesResource o =
        find(kind, name)
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no " + kind + " " + name + " in the rendered chart:\n" + yaml));
    return YAML.convertValue(o, type);
  }
}

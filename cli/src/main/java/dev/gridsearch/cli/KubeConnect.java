package dev.gridsearch.cli;

import dev.gridsearch.cli.source.KubeSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The user's kubeconfig, as kubectl reads it: their identity and RBAC, nothing of the plugin's. */
public final class KubeConnect {
  private KubeConnect() {}

  public static KubeSource connect(KubeOptions o) {
    Config config;
    if (o.kubeconfig != null) {
      try {
        config =
            Config.fromKubeconfig(o.context, Files.readString(Path.of(o.kubeconfig)), o.kubeconfig);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + o.kubeconfig, e);
      }
    } else {
      config = Config.autoConfigure(o.context);
    }
    String namespace =
        o.namespace != null
            ? o.namespace
            : config.getNamespace() != null ? config.getNamespace() : "default";
    return new KubeSource(new KubernetesClientBuilder().withConfig(config).build(), namespace);
  }
}

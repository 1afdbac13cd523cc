package dev.gridsearch.cli;

import picocli.CommandLine.Option;

/** kubectl's connection flags: a plugin receives them after its name and reads them itself. */
public final class KubeOptions {
  @Option(
      names = {"-n", "--namespace"},
      description = "The namespace (default: the kubeconfig context's, else default).")
  public String namespace;

  @Option(names = "--context", description = "The kubeconfig context to use.")
  public String context;

  @Option(
      names = "--kubeconfig",
      description = "The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
  public String kubeconfig;
}

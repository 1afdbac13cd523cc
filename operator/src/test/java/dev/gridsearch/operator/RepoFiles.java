package dev.gridsearch.operator;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find the repository's committed files and the build's generated ones. */
public final class RepoFiles {
  public static final String CRD_FILE = "gridsearches.gridsearch.dev-v1.yml";

  private RepoFiles() {}

  public static Path root() {
    String configured = System.getProperty("gridsearch.repoRoot");
    Path root = configured != null ? Path.of(configured) : Path.of("..");
    root = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("crd"))) {
      throw new IllegalStateException(
          "repository root not found at " + root + " (set -Dgridsearch.repoRoot)");
    }
    return root;
  }

  /** The CRD the crd-generator-maven-plugin wrote during this build. */
  public static Path generatedCrd() {
    return root().resolve("operator/target/classes/META-INF/fabric8").resolve(CRD_FILE);
  }
}

package dev.gridsearch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridsearch.operator.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The committed CRD copies are exactly what the build generates from the Java model. */
class CrdTest {

  @ParameterizedTest(name = "{0} is the generated CRD")
  @ValueSource(strings = {"crd", "helm/gridsearch-operator/crds", "deploy"})
  void committedCopyMatchesGenerated(String dir) throws IOException {
    Path committed = RepoFiles.root().resolve(dir).resolve(RepoFiles.CRD_FILE);
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as("%s drifted from the Java model: run `make crd` and commit the result", committed)
        .isEqualTo(Files.readString(RepoFiles.generatedCrd()));
  }

  @Test
  void crdIsSmallEnoughForClientSideApply() throws IOException {
    assertThat(Files.size(RepoFiles.generatedCrd())).isLessThan(200 * 1024);
  }
}

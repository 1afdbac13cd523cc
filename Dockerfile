# syntax=docker/dockerfile:1
# Build stage: the same `mvn package` as everywhere else, so the image runs the jar the tests tested
# (ImageBuildIT checks the paths copied below and the jar's manifest after `mvn package`).
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY operator/pom.xml operator/
RUN mvn -B -ntp -pl operator dependency:go-offline
COPY operator/src operator/src
RUN mvn -B -ntp -pl operator -DskipTests package

# Runtime stage: a JRE only, pinned; a numeric non-root user (runAsNonRoot can verify it without /etc/passwd).
FROM eclipse-temurin:17.0.15_6-jre
WORKDIR /app
# Dependencies first, in their own layer: they change far less often than the operator's jar.
COPY --from=build /src/operator/target/lib/ /app/lib/
COPY --from=build /src/operator/target/gridsearch-operator.jar /app/gridsearch-operator.jar
USER 65532:65532
# glibc keeps up to 8 malloc arenas per core, each holding memory freed by the JVM's threads; 2 bound it (as the chart).
ENV MALLOC_ARENA_MAX=2
EXPOSE 8080
# The chart's jvmOptions (JvmOptionsTest keeps the two equal): heap as a share of the container's memory limit, native
# memory bounded, die on OOM so Kubernetes restarts the pod, no perf files on a read-only root filesystem.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=40", "-Xss512k", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Djava.io.tmpdir=/tmp", "-jar", "/app/gridsearch-operator.jar"]

# syntax=docker/dockerfile:1
# Build stage: the same `mvn package` as everywhere else, so the image runs the jar the tests tested.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY operator/pom.xml operator/
RUN mvn -B -ntp -pl operator dependency:go-offline
COPY operator/src operator/src
RUN mvn -B -ntp -pl operator -DskipTests package

# Runtime stage: a JRE only, a numeric non-root user, dependencies in their own layer (they change rarely).
FROM eclipse-temurin:17.0.15_6-jre
WORKDIR /app
COPY --from=build /src/operator/target/lib/ /app/lib/
COPY --from=build /src/operator/target/gridsearch-operator.jar /app/gridsearch-operator.jar
USER 65532:65532
ENV JAVA_TOOL_OPTIONS="-XX:+UseContainerSupport -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/gridsearch-operator.jar"]

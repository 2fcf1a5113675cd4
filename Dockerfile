# The kubeward command line in a container: the webhook server (kubeward serve) and the auditor
# (kubeward audit) use the same image. Build from the repository root: docker build -t kubeward .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -DskipTests -pl adapters/cli -am package \
 && cp adapters/cli/target/kubeward-cli-*-all.jar /kubeward.jar

FROM eclipse-temurin:17-jre
# a fixed non-root user, so the Deployment can set runAsNonRoot and runAsUser
RUN useradd --system --uid 65532 --no-create-home kubeward
COPY --from=build /kubeward.jar /opt/kubeward/kubeward.jar
# a class-data-sharing archive recorded at build time makes every start faster
RUN java -XX:ArchiveClassesAtExit=/opt/kubeward/kubeward.jsa -jar /opt/kubeward/kubeward.jar rules > /dev/null
USER 65532:65532
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/kubeward/kubeward.jsa", "-Xshare:auto", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-jar", "/opt/kubeward/kubeward.jar"]
CMD ["--help"]

Feature: Pods that use the node's namespaces and ports
  A pod normally lives in namespaces of its own. The host namespaces (network, process ID, IPC) and
  host ports tie it to the node it runs on: kubeward reports each of them at the exact field.

  @host-network
  Scenario: A pod in the node's network namespace sees the node's interfaces
    Given the manifest "examples/chapter/pod-with-host-network.yaml"
    When it is scanned
    Then rule host-network reports field "spec.hostNetwork" of "Pod/pod-with-host-network"
    And rule host-network reports "Pod/pod-with-host-network" with severity high

  @host-network
  Scenario: A pod that does not use the host network is not reported
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: ordinary
      spec:
        hostNetwork: false
        containers:
          - name: main
            image: alpine
      """
    When it is scanned
    Then no finding is reported

  @host-pid @host-ipc
  Scenario: A pod that sees the node's processes and IPC
    Given the manifest "examples/chapter/pod-with-host-pid-and-ipc.yaml"
    When it is scanned
    Then rule host-pid reports field "spec.hostPID" of "Pod/pod-with-host-pid-and-ipc"
    And rule host-ipc reports field "spec.hostIPC" of "Pod/pod-with-host-pid-and-ipc"

  @host-port
  Scenario: The kubia-hostport pod binds port 9000 of its node
    Given the manifest "examples/chapter/kubia-hostport.yaml"
    When it is scanned
    Then rule host-port reports field "spec.containers[0].ports[0].hostPort" of "Pod/kubia-hostport"
    And rule host-port says "binds port 9000/TCP of the node (hostPort 9000 to containerPort 8080)"
    And node exposure shows port "9000/TCP" of "Pod/kubia-hostport" only on the nodes running its pods

  @host-port
  Scenario: Under hostNetwork every container port is a port of the node
    Given the manifest:
      """
      apiVersion: apps/v1
      kind: DaemonSet
      metadata:
        name: node-exporter
        namespace: monitoring
      spec:
        selector:
          matchLabels: {app: node-exporter}
        template:
          metadata:
            labels: {app: node-exporter}
          spec:
            hostNetwork: true
            containers:
              - name: node-exporter
                image: quay.io/prometheus/node-exporter:v1.8.2
                ports:
                  - containerPort: 9100
      """
    When it is scanned
    Then rule host-port reports field "spec.template.spec.containers[0].ports[0].containerPort" of "DaemonSet/monitoring/node-exporter"

  @host-port-outside-daemonset
  Scenario: A hostPort belongs to a DaemonSet, not to a Deployment
    Given the manifest "examples/chapter/kubia-hostport.yaml"
    And the manifest "examples/workloads/node-exporter-daemonset.yaml"
    When the manifests are scanned
    Then rule host-port-outside-daemonset reports "Pod/kubia-hostport"
    And rule host-port-outside-daemonset does not report "DaemonSet/monitoring/node-exporter"
    But rule host-port reports "DaemonSet/monitoring/node-exporter"

  @host-port-conflict
  Scenario: Two replicas with one hostPort on a single node: only one can run
    Given the manifest "examples/chapter/kubia-hostport-replicas.yaml"
    When it is scanned
    Then rule host-port-conflict reports field "spec.template.spec.containers[0].ports[0].hostPort" of "Deployment/shop/kubia-hostport"
    And rule host-port-conflict says "at most 1 of 2 replicas can run"
    And rule host-port-conflict reports "Deployment/shop/kubia-hostport" with severity high

  @host-port-conflict
  Scenario: Without Node objects each replica is said to need a node of its own
    Given the manifest:
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: kubia-hostport
      spec:
        replicas: 3
        selector:
          matchLabels: {app: kubia}
        template:
          metadata:
            labels: {app: kubia}
          spec:
            containers:
              - name: kubia
                image: luksa/kubia
                ports:
                  - containerPort: 8080
                    hostPort: 9000
      """
    When it is scanned
    Then rule host-port-conflict reports "Deployment/kubia-hostport" with severity medium
    And rule host-port-conflict says "each replica needs a node of its own"

  @host-port-conflict
  Scenario: Two pods with the same hostPort on one node collide; another protocol does not
    Given the manifest:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: exporter-a}
      spec:
        nodeName: node-1
        containers:
          - {name: exporter, image: prom/statsd-exporter, ports: [{containerPort: 9102, hostPort: 9102}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: exporter-b}
      spec:
        nodeName: node-1
        containers:
          - {name: exporter, image: prom/statsd-exporter, ports: [{containerPort: 9102, hostPort: 9102}]}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: exporter-udp}
      spec:
        nodeName: node-1
        containers:
          - {name: exporter, image: prom/statsd-exporter, ports: [{containerPort: 9102, hostPort: 9102, protocol: UDP}]}
      """
    When it is scanned
    Then rule host-port-conflict reports "Pod/exporter-a"
    And rule host-port-conflict reports "Pod/exporter-b"
    And rule host-port-conflict does not report "Pod/exporter-udp"

  @host-port-conflict
  Scenario: Workloads kept on different nodes by their nodeSelector do not collide
    Given the manifest:
      """
      apiVersion: v1
      kind: Node
      metadata: {name: edge-1, labels: {role: edge}}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: worker-1, labels: {role: worker}}
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: edge-proxy}
      spec:
        selector: {matchLabels: {app: edge-proxy}}
        template:
          metadata: {labels: {app: edge-proxy}}
          spec:
            nodeSelector: {role: edge}
            containers: [{name: proxy, image: envoyproxy/envoy, ports: [{containerPort: 8443, hostPort: 443}]}]
      ---
      apiVersion: apps/v1
      kind: DaemonSet
      metadata: {name: worker-agent}
      spec:
        selector: {matchLabels: {app: worker-agent}}
        template:
          metadata: {labels: {app: worker-agent}}
          spec:
            nodeSelector: {role: worker}
            containers: [{name: agent, image: example/agent, ports: [{containerPort: 8443, hostPort: 443}]}]
      """
    When it is scanned
    Then rule host-port-conflict reports nothing
    And node exposure shows port "443/TCP" on node "edge-1"
    And node exposure shows port "443/TCP" on node "worker-1"

  @host-port @node-exposure
  Scenario: A NodePort Service opens its port on every node, a hostPort only where the pod runs
    Given the manifest:
      """
      apiVersion: v1
      kind: Node
      metadata: {name: node-1}
      ---
      apiVersion: v1
      kind: Node
      metadata: {name: node-2}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: kubia-hostport, labels: {app: kubia}}
      spec:
        nodeName: node-1
        containers:
          - {name: kubia, image: luksa/kubia, ports: [{containerPort: 8080, hostPort: 9000}]}
      """
    And the manifest "examples/chapter/kubia-nodeport.yaml"
    When the manifests are scanned
    Then node exposure shows port "9000/TCP" on node "node-1"
    And node exposure does not show port "9000/TCP" on node "node-2"
    And node exposure shows port "30123/TCP" on node "node-1"
    And node exposure shows port "30123/TCP" on node "node-2"
    And node exposure shows port "30123/TCP" of "Service/kubia-nodeport" on every node

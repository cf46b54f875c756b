package dev.batchmesh.localkafka;

import java.util.Properties;

/** The settings of a single-node combined broker and controller bound to 127.0.0.1. */
final class BrokerProperties {

    private BrokerProperties() {
    }

    static Properties of(LocalKafkaOptions options) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + options.controllerPort());
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + options.port() + ",CONTROLLER://127.0.0.1:" + options.controllerPort());
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + options.port());
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", options.dataDir().resolve("kraft-logs").toString());
        // one node: every internal topic can have only one replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // fewer coordinator partitions than the default 50 start faster on a 2-core laptop
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // topics come from --topic or from the services' admin clients with explicit partition
        // counts; an auto-created single-partition topic would break series-to-partition routing
        p.setProperty("auto.create.topics.enable", "false");
        options.properties().forEach(p::setProperty);
        return p;
    }
}

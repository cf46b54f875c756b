package dev.batchmesh.localkafka;

import dev.batchmesh.localkafka.LocalKafkaOptions.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates missing topics and waits until every partition of every requested topic has a leader. */
final class TopicCreator {

    private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

    private final String bootstrap;
    private final Duration timeout;

    TopicCreator(String bootstrap, Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    void createMissing(List<TopicSpec> topics) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()))) {
            // the broker answers metadata requests only once it has caught up with the controller
            admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (TopicSpec topic : topics) {
                create(admin, topic);
            }
            awaitLeaders(admin, topics);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka on " + bootstrap + " did not answer within " + timeout, e);
        }
    }

    private void create(Admin admin, TopicSpec topic) throws InterruptedException, ExecutionException {
        try {
            admin.createTopics(List.of(new NewTopic(topic.name(), Optional.of(topic.partitions()), Optional.empty())))
                    .all().get();
            log.info("Created topic {} with {} partitions", topic.name(), topic.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            int existing = admin.describeTopics(List.of(topic.name())).allTopicNames().get()
                    .get(topic.name()).partitions().size();
            if (existing != topic.partitions()) {
                log.warn("Topic {} exists with {} partitions, not the {} asked for; keeping it",
                        topic.name(), existing, topic.partitions());
            }
        }
    }

    private void awaitLeaders(Admin admin, List<TopicSpec> topics) throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        List<String> names = topics.stream().map(TopicSpec::name).toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (allHaveLeaders(admin, names)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + names + " have partitions without a leader after " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static boolean allHaveLeaders(Admin admin, List<String> names) throws InterruptedException, ExecutionException {
        try {
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
            return described.values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (ExecutionException e) {
            // a topic just created is unknown to the broker until the controller's record reaches it
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }
}

package dev.batchmesh.support.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Each test loads lz4-java and this package in a class loader of their own, as a Spring Boot
 * executable jar does, so lz4-java starts on its Java implementation and the native library's
 * state is not shared between tests.
 */
class NativeLz4ListenerTest {

    @Test
    void inAnExecutableJarsClassLoaderKafkasLz4WouldBePureJava() throws Exception {
        assumeNativeBuildForThisPlatform();
        try (JarLikeClassLoader loader = new JarLikeClassLoader()) {
            assertThat(implementation(loader)).startsWith("Java");
        }
    }

    @Test
    void theListenerMovesKafkasLz4ToTheNativeImplementation() throws Exception {
        assumeNativeBuildForThisPlatform();
        try (JarLikeClassLoader loader = new JarLikeClassLoader()) {
            runListener(loader, Map.of());

            assertThat(implementation(loader)).isEqualTo("JNI");
        }
    }

    @Test
    void nativeLz4FalseLeavesTheJavaImplementation() throws Exception {
        assumeNativeBuildForThisPlatform();
        try (JarLikeClassLoader loader = new JarLikeClassLoader()) {
            runListener(loader, Map.of(NativeLz4Listener.PROPERTY, "false"));

            assertThat(implementation(loader)).startsWith("Java");
        }
    }

    /** Tests loads lz4-java from the system class loader, where it loads its native library itself. */
    private static void assumeNativeBuildForThisPlatform() {
        assumeTrue(LZ4Factory.fastestInstance().toString().endsWith("JNI"), "lz4-java has no native build for this platform");
    }

    private static String implementation(ClassLoader loader) throws Exception {
        return (String) loader.loadClass(NativeLz4.class.getName()).getMethod("implementation").invoke(null);
    }

    private static void runListener(ClassLoader loader, Map<String, Object> properties) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        ApplicationEnvironmentPreparedEvent event = new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
                new SpringApplication(), new String[0], environment);
        Object listener = loader.loadClass(NativeLz4Listener.class.getName()).getConstructor().newInstance();
        listener.getClass().getMethod("onApplicationEvent", ApplicationEnvironmentPreparedEvent.class).invoke(listener, event);
    }

    /** Child-first for lz4-java and this package, everything else from the test's own class loader. */
    private static final class JarLikeClassLoader extends URLClassLoader {

        JarLikeClassLoader() {
            super(new URL[] {codeSource(LZ4Factory.class), codeSource(NativeLz4.class)},
                    NativeLz4ListenerTest.class.getClassLoader());
        }

        private static URL codeSource(Class<?> type) {
            return type.getProtectionDomain().getCodeSource().getLocation();
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!ownCopy(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = findClass(name);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        private static boolean ownCopy(String name) {
            return name.startsWith("net.jpountz.") || (name.startsWith(NativeLz4.class.getPackageName() + ".")
                    && !name.startsWith(NativeLz4ListenerTest.class.getName()));
        }
    }
}

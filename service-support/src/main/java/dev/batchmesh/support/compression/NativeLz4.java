package dev.batchmesh.support.compression;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.util.Native;

/**
 * Loads lz4-java's native library. lz4-java tries it only when its classes come from the system
 * class loader; in a Spring Boot executable jar they come from the jar's own loader, so Kafka's
 * producers and consumers (which ask {@link LZ4Factory#fastestInstance()}) would compress and
 * decompress with the pure-Java implementation, several times slower. Once the library is loaded
 * here, {@code fastestInstance()} answers the native one from whichever loader.
 */
public final class NativeLz4 {

    private NativeLz4() {
    }

    /**
     * Loads the native library if it is not loaded yet. Never throws: where it cannot load (no
     * build for this platform, no writable temporary directory) lz4-java stays on its Java
     * implementation, which is correct, only slower.
     *
     * @return the implementation {@code LZ4Factory.fastestInstance()} now answers, e.g. {@code JNI}
     */
    public static String load() {
        if (!Native.isLoaded()) {
            try {
                Native.load();
            } catch (Throwable unavailable) {
                // UnsatisfiedLinkError or a failure to unpack the library: the Java implementation stays
            }
        }
        return implementation();
    }

    /** The implementation Kafka's LZ4 compression uses in this class loader: {@code JNI}, {@code JavaUnsafe} or {@code JavaSafe}. */
    public static String implementation() {
        String factory = LZ4Factory.fastestInstance().toString();
        return factory.substring(factory.indexOf(':') + 1);
    }
}

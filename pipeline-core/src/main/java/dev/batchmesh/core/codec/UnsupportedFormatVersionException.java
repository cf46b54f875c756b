package dev.batchmesh.core.codec;

/** A message written in a format version this build cannot read (for example by a newer canary). */
public class UnsupportedFormatVersionException extends MalformedDataException {

    private final int version;

    public UnsupportedFormatVersionException(String what, int version) {
        super(what + " format version " + version + " is not supported by this build");
        this.version = version;
    }

    public int version() {
        return version;
    }
}

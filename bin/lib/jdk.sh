# Sourced by bin/* and .ci/run: exports JAVA_HOME pointing at a JDK 25 or newer, or explains what to install.
# Looks at JAVA_HOME first, then the usual install locations, then `java` on the PATH.
# BATCHMESH_JDK_DIRS (space-separated JDK homes, globs allowed) replaces the usual locations.

_batchmesh_java_major() {
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n 1
}

_batchmesh_is_jdk25() {
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
    local major
    major=$(_batchmesh_java_major "$1")
    [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null
}

batchmesh_find_jdk() {
    local candidate
    if [ -n "${JAVA_HOME:-}" ] && _batchmesh_is_jdk25 "$JAVA_HOME"; then
        return 0
    fi
    local default_dirs="/usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* $HOME/.sdkman/candidates/java/* $HOME/.jdks/*
        $HOME/.asdf/installs/java/* /Library/Java/JavaVirtualMachines/*/Contents/Home
        $(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"
    # shellcheck disable=SC2086 # word splitting and globbing of the list are intended
    for candidate in ${BATCHMESH_JDK_DIRS:-$default_dirs}; do
        if _batchmesh_is_jdk25 "$candidate"; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    cat >&2 <<'MSG'
batchmesh needs a JDK 25 (the current LTS) and found none.
  Checked: $JAVA_HOME, /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks, ~/.asdf, and `java` on the PATH.
  Install one, for example:
    Debian/Ubuntu:  apt-get install temurin-25-jdk   (after adding the Adoptium repository, see adoptium.net)
    SDKMAN:         sdk install java 25-tem
    macOS:          brew install --cask temurin@25
  then run this command again, or point JAVA_HOME at it.
MSG
    return 1
}

batchmesh_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"

#!/usr/bin/env bash
# Installs (or updates) a tracemesh agent on a Debian/Ubuntu host, over ssh or on this machine: Java runtime and
# libpcap from apt, the user tracemesh-agent, /opt/tracemesh/agent.jar, /etc/tracemesh/agent.yaml written from the
# arguments, the enrollment bundle in /etc/tracemesh/secrets/, and the systemd unit, enabled and started.
# Running it again with the same arguments changes nothing; with other arguments it updates what differs and
# restarts the agent. `install-agent.sh --help` lists the options.
set -euo pipefail

PROG=$(basename "$0")
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

AGENT_USER=tracemesh-agent
JAR_DIR=/opt/tracemesh
ETC_DIR=/etc/tracemesh
SECRETS_DIR=/etc/tracemesh/secrets
STATE_DIR=/var/lib/tracemesh-agent
UNIT_DIR=/etc/systemd/system
UNIT_NAME=tracemesh-agent.service
ID_PATTERN='^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'

# options
MODE=
HOST=
ROOT=
DRY_RUN=0
NO_PACKAGES=0
NO_START=0
SUDO=
SSH_OPTS=()
JAR=$REPO/agent/target/agent.jar
UNIT=$REPO/deploy/systemd/$UNIT_NAME
CONFIG=
AGENT_ID=
SITE=
SERVERS=
TOPIC_PREFIX=
RATE=
DENY=()
BUNDLE=
ENROLL_ADMIN=
ENROLL_DIR=
PLATFORM_JAR=$REPO/platform/target/tracemesh.jar
DEFINITIONS_KEY=
PROTOCOL=
MECHANISM=SCRAM-SHA-512
SASL_PASSWORD=
TRUSTSTORE=
TRUSTSTORE_PASSWORD=
STAGE=

usage() {
    cat <<EOF
usage: $PROG (--host [USER@]HOST | --local) --agent-id ID --bootstrap-servers HOST:PORT[,...] [options]
       $PROG (--host [USER@]HOST | --local) --config agent.yaml [options]

Installs the tracemesh agent as the systemd service $UNIT_NAME, running as the user $AGENT_USER with
CAP_NET_RAW only. Needs root on the target (over ssh: log in as root, or give --sudo).

Where:
  --host [USER@]HOST        install on HOST over ssh (the files go over the same connection)
  --local                   install on this machine
  --root DIR                with --local: install into DIR as if it were / (no apt, no systemctl; users are
                            added to DIR/etc/passwd if it exists) - to look at the result
  --dry-run                 print what would be done, change nothing
  --sudo                    run the remote part with sudo
  --ssh-option OPT          passed to ssh (repeatable), e.g. --ssh-option -p --ssh-option 2222

What (written into agent.yaml; see agent/src/main/dist/agent.example.yaml):
  --agent-id ID             agent.id, also the SASL user name ([A-Za-z0-9][A-Za-z0-9._-]{0,63})
  --site LABEL              agent.site, e.g. "Frankfurt DC1"
  --bootstrap-servers LIST  kafka.bootstrap-servers, host:port pairs, comma-separated
  --topic-prefix PREFIX     kafka.topic-prefix [tracemesh.]
  --rate PPS                probing.rate, probes per second for all measurements [100]
  --deny PREFIX             safety.deny, never probed (repeatable; or a comma-separated list)
  --config FILE             install this agent.yaml as it is instead (the options above are then refused)

Enrollment (files go to $SECRETS_DIR/, mode 0640 root:$AGENT_USER):
  --enroll ADMIN_PROPERTIES enroll the agent first, from this machine: runs SecurityAdmin enroll-agent with the
                            broker administrator's client properties (the broker's DIR/security/admin.properties,
                            whose truststore path must be valid here) for --agent-id at --bootstrap-servers, and
                            installs the bundle it makes (a new password; an earlier one stops working)
  --platform-jar FILE       the jar SecurityAdmin runs from [$PLATFORM_JAR]
  --bundle DIR              the directory SecurityAdmin enroll-agent wrote for this agent (--out DIR): its
                            kafka-password, truststore.p12 and truststore-password are installed and used; the
                            agent id, bootstrap servers and topic prefix of its kafka-snippet.yaml are the
                            defaults of the options above
  --sasl-password-file F    the SASL password file (instead of finding it in the bundle)
  --truststore F            the CA truststore (.p12 or .jks)
  --truststore-password-file F
  --security-protocol P     PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL [SASL_SSL with a password, SSL with
                            only a truststore, else PLAINTEXT]
  --sasl-mechanism M        SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN [$MECHANISM]
  --definitions-key PEM     the central side's public key for signed measurement definitions
                            (definitions.public-key; from the web: DIR/web/definitions-signing-key.pub.pem or
                            GET /api/v1/definitions/public-key). Without it the agent ignores central definitions.

Files:
  --jar FILE                the agent jar [$JAR]
  --unit FILE               the systemd unit [$UNIT]
  --no-packages             do not apt-get install the Java runtime and libpcap
  --no-start                install and enable, but do not (re)start the service
  -h, --help                this text

Example:
  $PROG --host root@vp1.example.net --site "Frankfurt DC1" --rate 200 --deny 203.0.113.0/24 \\
      --bundle fra1-a-bundle --definitions-key definitions-signing-key.pub.pem
EOF
}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

note() {
    echo "$PROG: $*" >&2
}

need_value() {
    [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"
}

# ---------------------------------------------------------------------------------------------------------------
# arguments

parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --host) need_value "$@"; MODE=remote; HOST=$2; shift 2 ;;
            --local) MODE=local; shift ;;
            --root) need_value "$@"; ROOT=$2; shift 2 ;;
            --dry-run) DRY_RUN=1; shift ;;
            --sudo) SUDO=sudo; shift ;;
            --ssh-option) need_value "$@"; SSH_OPTS+=("$2"); shift 2 ;;
            --agent-id) need_value "$@"; AGENT_ID=$2; shift 2 ;;
            --site) [[ $# -ge 2 ]] || die "--site needs a value"; SITE=$2; shift 2 ;;
            --bootstrap-servers) need_value "$@"; SERVERS=$2; shift 2 ;;
            --topic-prefix) [[ $# -ge 2 ]] || die "--topic-prefix needs a value"; TOPIC_PREFIX=$2; shift 2 ;;
            --rate) need_value "$@"; RATE=$2; shift 2 ;;
            --deny) need_value "$@"; IFS=',' read -r -a more <<< "$2"; DENY+=("${more[@]}"); shift 2 ;;
            --config) need_value "$@"; CONFIG=$2; shift 2 ;;
            --bundle) need_value "$@"; BUNDLE=$2; shift 2 ;;
            --enroll) need_value "$@"; ENROLL_ADMIN=$2; shift 2 ;;
            --platform-jar) need_value "$@"; PLATFORM_JAR=$2; shift 2 ;;
            --sasl-password-file) need_value "$@"; SASL_PASSWORD=$2; shift 2 ;;
            --truststore) need_value "$@"; TRUSTSTORE=$2; shift 2 ;;
            --truststore-password-file) need_value "$@"; TRUSTSTORE_PASSWORD=$2; shift 2 ;;
            --security-protocol) need_value "$@"; PROTOCOL=$2; shift 2 ;;
            --sasl-mechanism) need_value "$@"; MECHANISM=$2; shift 2 ;;
            --definitions-key) need_value "$@"; DEFINITIONS_KEY=$2; shift 2 ;;
            --jar) need_value "$@"; JAR=$2; shift 2 ;;
            --unit) need_value "$@"; UNIT=$2; shift 2 ;;
            --no-packages) NO_PACKAGES=1; shift ;;
            --no-start) NO_START=1; shift ;;
            --apply-stage) need_value "$@"; STAGE=$2; MODE=apply; shift 2 ;;
            -h|--help) usage; exit 0 ;;
            *) die "unknown argument '$1' (see --help)" ;;
        esac
    done
}

check_args() {
    [[ -n $MODE ]] || die "say where: --host [USER@]HOST or --local (see --help)"
    if [[ -n $ROOT ]]; then
        [[ $MODE == local ]] || die "--root only goes with --local"
        [[ -d $ROOT ]] || die "--root: '$ROOT' is not a directory"
        ROOT=$(cd "$ROOT" && pwd)
        [[ $ROOT != / ]] || ROOT=
    fi
    if [[ -n $ENROLL_ADMIN ]]; then
        enroll
    fi
    if [[ -n $BUNDLE ]]; then
        [[ -d $BUNDLE ]] || die "--bundle: '$BUNDLE' is not a directory"
        find_in_bundle
    fi
    [[ -f $JAR ]] || die "--jar: '$JAR' not found (build it: mvn -DskipTests package)"
    [[ -f $UNIT ]] || die "--unit: '$UNIT' not found"
    if [[ -n $CONFIG ]]; then
        [[ -f $CONFIG ]] || die "--config: '$CONFIG' not found"
        if [[ -n $AGENT_ID$SITE$SERVERS$TOPIC_PREFIX$RATE$PROTOCOL || ${#DENY[@]} -gt 0 ]]; then
            die "--config installs a finished agent.yaml: give the agent's settings there, not as options"
        fi
    else
        [[ -n $AGENT_ID ]] || die "--agent-id is required (or --config FILE)"
        [[ $AGENT_ID =~ $ID_PATTERN ]] || die "--agent-id '$AGENT_ID': letters, digits, '.', '_', '-', at most 64, starting with a letter or digit"
        [[ -n $SERVERS ]] || die "--bootstrap-servers is required (or --config FILE)"
        local server
        IFS=',' read -r -a servers <<< "$SERVERS"
        for server in "${servers[@]}"; do
            [[ $server =~ ^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):[0-9]{1,5}$ ]] \
                || die "--bootstrap-servers: '$server' is not host:port"
        done
        [[ ${#SITE} -le 100 ]] || die "--site: at most 100 characters"
        [[ $SITE != *[\"\\]* ]] || die "--site: no '\"' or '\\' please"
        if [[ -n $RATE ]]; then
            [[ $RATE =~ ^[1-9][0-9]{0,6}$ && $RATE -le 1000000 ]] || die "--rate: 1..1000000 probes per second, got '$RATE'"
        fi
        if [[ -n $TOPIC_PREFIX ]]; then
            [[ $TOPIC_PREFIX =~ ^[A-Za-z0-9._-]{1,200}$ ]] || die "--topic-prefix: letters, digits, '.', '_', '-'"
        fi
        local prefix
        for prefix in "${DENY[@]}"; do
            [[ $prefix =~ ^[0-9A-Fa-f.:]+(/[0-9]{1,3})?$ ]] || die "--deny: '$prefix' is not an address or prefix"
        done
        case "$MECHANISM" in SCRAM-SHA-512|SCRAM-SHA-256|PLAIN) ;; *) die "--sasl-mechanism: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN" ;; esac
    fi
    local f
    for f in "$SASL_PASSWORD" "$TRUSTSTORE" "$TRUSTSTORE_PASSWORD" "$DEFINITIONS_KEY"; do
        [[ -z $f || -f $f ]] || die "'$f' not found"
    done
    if [[ -n $DEFINITIONS_KEY ]]; then
        grep -q -- '-----BEGIN PUBLIC KEY-----' "$DEFINITIONS_KEY" \
            || die "--definitions-key: '$DEFINITIONS_KEY' is not a PEM public key (BEGIN PUBLIC KEY)"
    fi
    if [[ -n $TRUSTSTORE ]]; then
        case "$TRUSTSTORE" in *.p12|*.pfx|*.jks) ;; *) die "--truststore: the name must end in .p12, .pfx or .jks (the type follows the name)" ;; esac
    fi
    if [[ -z $PROTOCOL ]]; then
        if [[ -n $SASL_PASSWORD ]]; then
            if [[ -n $TRUSTSTORE ]]; then PROTOCOL=SASL_SSL; else PROTOCOL=SASL_PLAINTEXT; fi
        elif [[ -n $TRUSTSTORE ]]; then
            PROTOCOL=SSL
        else
            PROTOCOL=PLAINTEXT
        fi
    fi
    case "$PROTOCOL" in
        PLAINTEXT|SSL) [[ -z $SASL_PASSWORD ]] || die "--security-protocol $PROTOCOL has no SASL: drop the password or use SASL_SSL" ;;
        SASL_PLAINTEXT|SASL_SSL) [[ -n $SASL_PASSWORD || -n $CONFIG ]] || die "--security-protocol $PROTOCOL needs --sasl-password-file (or --bundle)" ;;
        *) die "--security-protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got '$PROTOCOL'" ;;
    esac
    if [[ $PROTOCOL == PLAINTEXT || $PROTOCOL == SASL_PLAINTEXT ]] && [[ -n $TRUSTSTORE ]]; then
        die "a truststore is only used with SSL or SASL_SSL"
    fi
    if [[ -n $TRUSTSTORE_PASSWORD && -z $TRUSTSTORE ]]; then
        die "--truststore-password-file without --truststore"
    fi
}

# Enrolls the agent at the broker (SecurityAdmin enroll-agent) into a temporary bundle, used as --bundle.
enroll() {
    [[ -z $BUNDLE ]] || die "--enroll makes the bundle itself: drop --bundle"
    [[ -z $CONFIG ]] || die "--enroll writes agent.yaml's kafka settings: it does not go with --config"
    [[ $DRY_RUN -eq 0 ]] || die "--enroll changes the broker's credentials: it does not go with --dry-run"
    [[ -f $ENROLL_ADMIN ]] || die "--enroll: '$ENROLL_ADMIN' not found (the broker's security/admin.properties)"
    [[ -n $AGENT_ID ]] || die "--enroll needs --agent-id"
    [[ $AGENT_ID =~ $ID_PATTERN ]] || die "--agent-id '$AGENT_ID': letters, digits, '.', '_', '-', at most 64, starting with a letter or digit"
    [[ -n $SERVERS ]] || die "--enroll needs --bootstrap-servers"
    [[ -f $PLATFORM_JAR ]] || die "--platform-jar: '$PLATFORM_JAR' not found (build it: mvn -DskipTests package)"
    command -v java > /dev/null || die "--enroll runs SecurityAdmin here: java is not installed"
    ENROLL_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tracemesh-enroll.XXXXXX")
    chmod 0700 "$ENROLL_DIR"
    local args=(enroll-agent "$AGENT_ID" --admin-config "$ENROLL_ADMIN" --bootstrap "$SERVERS"
        --out "$ENROLL_DIR/bundle" --secrets-dir "$SECRETS_DIR")
    [[ -z $TOPIC_PREFIX ]] || args+=(--prefix "$TOPIC_PREFIX")
    note "enrolling agent $AGENT_ID at $SERVERS"
    java -cp "$PLATFORM_JAR" net.tracemesh.broker.security.SecurityAdmin "${args[@]}" >&2 \
        || { rm -rf "$ENROLL_DIR"; die "enrolling $AGENT_ID failed (SecurityAdmin's message above)"; }
    BUNDLE=$ENROLL_DIR/bundle
}

# The bundle of SecurityAdmin enroll-agent: the SASL password file, the truststore and its password file.
find_in_bundle() {
    local f name
    for f in "$BUNDLE"/*; do
        [[ -f $f ]] || continue
        name=$(basename "$f")
        case "$name" in
            *.p12|*.pfx|*.jks)
                [[ -z $TRUSTSTORE ]] || [[ $TRUSTSTORE == "$f" ]] || die "--bundle: more than one truststore ($TRUSTSTORE, $f)"
                TRUSTSTORE=$f ;;
            truststore-password|*truststore*password*)
                TRUSTSTORE_PASSWORD=${TRUSTSTORE_PASSWORD:-$f} ;;
            kafka-password|sasl-password|password|"$AGENT_ID-password"|*.password)
                [[ -z $SASL_PASSWORD ]] || [[ $SASL_PASSWORD == "$f" ]] || die "--bundle: more than one SASL password file ($SASL_PASSWORD, $f)"
                SASL_PASSWORD=$f ;;
            *) ;;
        esac
    done
    [[ -n $SASL_PASSWORD || -n $TRUSTSTORE ]] || die "--bundle: '$BUNDLE' holds no password file and no truststore"
    # the agent id and Kafka address of kafka-snippet.yaml, where the options do not give them
    local snippet=$BUNDLE/kafka-snippet.yaml id servers prefix
    if [[ -f $snippet && -z $CONFIG ]]; then
        id=$(snippet_value "$snippet" id)
        servers=$(snippet_value "$snippet" bootstrap-servers)
        prefix=$(snippet_value "$snippet" topic-prefix)
        if [[ -n $id && -n $AGENT_ID && $id != "$AGENT_ID" ]]; then
            die "--bundle: '$BUNDLE' was made for agent '$id', not '$AGENT_ID' (its SASL user is its agent id)"
        fi
        AGENT_ID=${AGENT_ID:-$id}
        SERVERS=${SERVERS:-$servers}
        TOPIC_PREFIX=${TOPIC_PREFIX:-$prefix}
    fi
}

# One "  key: value" of the snippet SecurityAdmin writes, without quotes.
snippet_value() {
    sed -n -E "s/^[[:space:]]*$2:[[:space:]]*\"?([^\"]*)\"?[[:space:]]*\$/\1/p" "$1" | head -n 1
}

# ---------------------------------------------------------------------------------------------------------------
# staging: every file the target gets, in one directory

yaml_list() {
    local out="" item
    for item in "$@"; do
        out+="${out:+, }\"$item\""
    done
    printf '[%s]' "$out"
}

write_config() {
    local out=$1
    {
        echo "# tracemesh agent configuration, written by $PROG; running it again rewrites this file."
        echo "# Every setting: agent.example.yaml (agent/src/main/dist/ in the source tree)."
        echo "agent:"
        echo "  id: \"$AGENT_ID\""
        echo "  site: \"$SITE\""
        echo "  data-dir: $STATE_DIR"
        echo "probing:"
        echo "  rate: ${RATE:-100}"
        echo "safety:"
        echo "  deny: $(yaml_list "${DENY[@]}")"
        echo "kafka:"
        echo "  bootstrap-servers: \"$SERVERS\""
        echo "  topic-prefix: \"${TOPIC_PREFIX:-tracemesh.}\""
        echo "  security-protocol: $PROTOCOL"
        if [[ -n $SASL_PASSWORD ]]; then
            echo "  sasl:"
            echo "    mechanism: $MECHANISM"
            echo "    username: \"$AGENT_ID\""
            echo "    password-file: $SECRETS_DIR/kafka-password"
        fi
        if [[ -n $TRUSTSTORE ]]; then
            echo "  tls:"
            echo "    truststore: $SECRETS_DIR/$(basename "$TRUSTSTORE")"
            if [[ -n $TRUSTSTORE_PASSWORD ]]; then
                echo "    truststore-password-file: $SECRETS_DIR/truststore-password"
            fi
        fi
        if [[ -n $DEFINITIONS_KEY ]]; then
            echo "definitions:"
            echo "  public-key: $SECRETS_DIR/definitions-signing-key.pub.pem"
        fi
    } > "$out"
}

make_stage() {
    STAGE=$(mktemp -d "${TMPDIR:-/tmp}/tracemesh-agent-install.XXXXXX")
    chmod 0700 "$STAGE"
    mkdir "$STAGE/secrets"
    cp "$JAR" "$STAGE/agent.jar"
    cp "$UNIT" "$STAGE/$UNIT_NAME"
    cp "$0" "$STAGE/install-agent.sh"
    if [[ -n $CONFIG ]]; then
        cp "$CONFIG" "$STAGE/agent.yaml"
    else
        write_config "$STAGE/agent.yaml"
    fi
    [[ -z $SASL_PASSWORD ]] || cp "$SASL_PASSWORD" "$STAGE/secrets/kafka-password"
    [[ -z $TRUSTSTORE ]] || cp "$TRUSTSTORE" "$STAGE/secrets/$(basename "$TRUSTSTORE")"
    [[ -z $TRUSTSTORE_PASSWORD ]] || cp "$TRUSTSTORE_PASSWORD" "$STAGE/secrets/truststore-password"
    [[ -z $DEFINITIONS_KEY ]] || cp "$DEFINITIONS_KEY" "$STAGE/secrets/definitions-signing-key.pub.pem"
}

# ---------------------------------------------------------------------------------------------------------------
# applying the stage on the target (runs as root there)

CHANGED=0

run() {
    if [[ $DRY_RUN -eq 1 ]]; then
        echo "+ $*"
    else
        "$@"
    fi
}

# Installs one file if it differs (content, mode or owner); remembers that something changed.
put() {
    local src=$1 dst=$ROOT$2 mode=$3 owner=$4 group=$5
    if [[ -f $dst ]] && cmp -s "$src" "$dst" \
        && [[ $(stat -c '%a %u %g' "$dst") == "${mode#0} $(id_of "$owner" passwd) $(id_of "$group" group)" ]]; then
        return
    fi
    note "installing $2 (mode $mode, $owner:$group)"
    run install -m "$mode" -o "$(id_of "$owner" passwd)" -g "$(id_of "$group" group)" "$src" "$dst"
    CHANGED=1
}

# Creates or fixes one directory.
dir() {
    local path=$ROOT$1 mode=$2 owner=$3 group=$4
    if [[ -d $path && $(stat -c '%a %u %g' "$path") == "${mode#0} $(id_of "$owner" passwd) $(id_of "$group" group)" ]]; then
        return
    fi
    note "directory $1 (mode $mode, $owner:$group)"
    run install -d -m "$mode" -o "$(id_of "$owner" passwd)" -g "$(id_of "$group" group)" "$path"
}

# A user's or group's numeric id: from ROOT/etc/passwd or /etc/group under --root, else the system's.
id_of() {
    local name=$1 db=$2 id
    if [[ -n $ROOT ]]; then
        id=$(awk -F: -v n="$name" '$1 == n { print $3 }' "$ROOT/etc/$db" 2>/dev/null || true)
    else
        id=$(getent "$db" "$name" | cut -d: -f3 || true)
    fi
    if [[ -z $id ]]; then
        [[ $DRY_RUN -eq 1 ]] || die "no $db entry for '$name'"
        id=$name
    fi
    echo "$id"
}

ensure_packages() {
    if [[ $NO_PACKAGES -eq 1 || -n $ROOT ]]; then
        return
    fi
    command -v apt-get >/dev/null || die "apt-get not found: this installs on Debian or Ubuntu (or give --no-packages)"
    local java_pkg="" candidate missing=()
    for candidate in openjdk-17-jre-headless openjdk-21-jre-headless; do
        if dpkg-query -W -f='${Status}' "$candidate" 2>/dev/null | grep -q 'ok installed'; then
            java_pkg=$candidate
            break
        fi
    done
    if [[ -z $java_pkg ]]; then
        missing+=(java)
    fi
    dpkg-query -W -f='${Status}' libpcap0.8 2>/dev/null | grep -q 'ok installed' || missing+=(libpcap0.8)
    [[ ${#missing[@]} -gt 0 ]] || return 0
    note "installing packages: ${missing[*]}"
    run env DEBIAN_FRONTEND=noninteractive apt-get update -q
    if [[ -z $java_pkg ]]; then
        for candidate in openjdk-17-jre-headless openjdk-21-jre-headless; do
            if apt-cache show "$candidate" >/dev/null 2>&1; then
                java_pkg=$candidate
                break
            fi
        done
        [[ -n $java_pkg ]] || die "no openjdk-17-jre-headless or openjdk-21-jre-headless in apt's sources"
        missing=("${missing[@]/java/$java_pkg}")
    fi
    run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

ensure_user() {
    if [[ -n $ROOT ]]; then
        if [[ ! -f $ROOT/etc/passwd ]]; then
            die "--root: $ROOT/etc/passwd is missing (copy /etc/passwd, /etc/group, /etc/shadow, /etc/gshadow there first)"
        fi
        grep -q "^$AGENT_USER:" "$ROOT/etc/passwd" && return
        note "adding system user $AGENT_USER under $ROOT"
        run useradd --prefix "$ROOT" --system --user-group --home-dir "$STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "tracemesh agent" "$AGENT_USER"
        return
    fi
    getent passwd "$AGENT_USER" >/dev/null && return
    note "adding system user $AGENT_USER"
    run useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin \
        --comment "tracemesh agent" "$AGENT_USER"
}

apply_stage() {
    [[ $(id -u) -eq 0 || $DRY_RUN -eq 1 ]] || die "installing needs root (run with sudo, or --sudo over ssh)"
    [[ -f $STAGE/agent.jar && -f $STAGE/agent.yaml && -f $STAGE/$UNIT_NAME ]] || die "incomplete stage '$STAGE'"
    ensure_packages
    ensure_user
    if [[ -n $ROOT ]]; then
        run mkdir -p "$ROOT/opt" "$ROOT/etc/systemd/system" "$ROOT/var/lib"
    fi
    dir "$JAR_DIR" 0755 root root
    dir "$ETC_DIR" 0750 root "$AGENT_USER"
    dir "$SECRETS_DIR" 0750 root "$AGENT_USER"
    dir "$STATE_DIR" 0750 "$AGENT_USER" "$AGENT_USER"
    put "$STAGE/agent.jar" "$JAR_DIR/agent.jar" 0644 root root
    put "$STAGE/agent.yaml" "$ETC_DIR/agent.yaml" 0640 root "$AGENT_USER"
    local f
    for f in "$STAGE"/secrets/*; do
        [[ -f $f ]] || continue
        put "$f" "$SECRETS_DIR/$(basename "$f")" 0640 root "$AGENT_USER"
    done
    local unit_changed=$CHANGED
    CHANGED=0
    put "$STAGE/$UNIT_NAME" "$UNIT_DIR/$UNIT_NAME" 0644 root root
    local reload=$CHANGED
    CHANGED=$((CHANGED | unit_changed))
    start_service "$reload"
}

start_service() {
    local reload=$1
    if [[ -n $ROOT ]]; then
        note "installed under $ROOT (no service started: --root)"
        return
    fi
    if ! command -v systemctl >/dev/null || [[ ! -d /run/systemd/system ]]; then
        note "systemd is not running here: the unit is installed but not started"
        return
    fi
    [[ $reload -eq 0 ]] || run systemctl daemon-reload
    run systemctl enable "$UNIT_NAME" --quiet
    if [[ $NO_START -eq 1 ]]; then
        note "enabled, not started (--no-start)"
    elif [[ $CHANGED -eq 1 ]] || ! systemctl is-active --quiet "$UNIT_NAME"; then
        note "(re)starting $UNIT_NAME"
        run systemctl restart "$UNIT_NAME"
        [[ $DRY_RUN -eq 1 ]] || sleep 3
        if [[ $DRY_RUN -eq 0 ]] && ! systemctl is-active --quiet "$UNIT_NAME"; then
            journalctl -u "$UNIT_NAME" -n 20 --no-pager >&2 || true
            die "$UNIT_NAME did not stay up (journal above)"
        fi
    else
        note "nothing changed; $UNIT_NAME is running"
    fi
}

# ---------------------------------------------------------------------------------------------------------------

ship_to_host() {
    # shellcheck disable=SC2016  # $d is the remote shell's variable
    local remote_args=(--apply-stage '"$d"')
    [[ $NO_PACKAGES -eq 0 ]] || remote_args+=(--no-packages)
    [[ $NO_START -eq 0 ]] || remote_args+=(--no-start)
    [[ $DRY_RUN -eq 0 ]] || remote_args+=(--dry-run)
    # one connection: the stage goes over stdin, is applied by the copy of this script in it, and is removed
    local script="d=\$(mktemp -d) && trap 'rm -rf \"\$d\"' EXIT && tar -xzf - -C \"\$d\" && $SUDO bash \"\$d/install-agent.sh\" ${remote_args[*]}"
    note "installing on $HOST"
    tar -C "$STAGE" -czf - . | ssh "${SSH_OPTS[@]}" -- "$HOST" "$script"
}

main() {
    parse_args "$@"
    if [[ $MODE == apply ]]; then
        apply_stage
        return
    fi
    check_args
    make_stage
    trap 'rm -rf "$STAGE" ${ENROLL_DIR:+"$ENROLL_DIR"}' EXIT
    if [[ $MODE == local ]]; then
        apply_stage
    else
        ship_to_host
    fi
}

main "$@"

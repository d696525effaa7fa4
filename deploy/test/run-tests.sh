#!/usr/bin/env bash
# Checks the deployment kit without a target host: shell scripts (shellcheck), systemd units (systemd-analyze),
# install-agent.sh into a scratch root (files, modes, owners, idempotence, argument errors), YAML syntax, the
# Kubernetes manifests (kubectl kustomize) and the Ansible playbook (--syntax-check). A tool that is not installed
# skips its checks with the reason. Ends with "N passed, N failed, N skipped".
#   bash deploy/test/run-tests.sh        (as root for the install checks; Debian packages: shellcheck, systemd,
#                                          ansible-core, python3-yaml, kubectl if available)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
DEPLOY=$(cd "$HERE/.." && pwd)
PASSED=0
FAILED=0
SKIPPED=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tracemesh-deploy-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

pass() { PASSED=$((PASSED + 1)); echo "ok   $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip $*"; }

check() {
    local name=$1
    shift
    if "$@" > "$WORK/out" 2>&1; then
        pass "$name"
    else
        fail "$name"
        sed 's/^/     /' "$WORK/out" | tail -n 20
    fi
}

# --- shell scripts -----------------------------------------------------------------------------------------------
mapfile -t SCRIPTS < <(find "$DEPLOY" -name '*.sh' -not -path '*/demo/*' | sort)
if command -v shellcheck > /dev/null; then
    for s in "${SCRIPTS[@]}"; do
        check "shellcheck ${s#"$DEPLOY"/}" shellcheck "$s"
    done
else
    skip "shellcheck: not installed (apt-get install shellcheck)"
fi
for s in "${SCRIPTS[@]}"; do
    check "bash -n ${s#"$DEPLOY"/}" bash -n "$s"
done

# --- systemd units -----------------------------------------------------------------------------------------------
if command -v systemd-analyze > /dev/null && [[ -x /usr/bin/java ]]; then
    for u in "$DEPLOY"/systemd/*.service; do
        check "systemd-analyze verify ${u#"$DEPLOY"/}" systemd-analyze verify "$u"
    done
else
    skip "systemd-analyze verify: needs systemd-analyze and /usr/bin/java"
fi
unit_has() {
    grep -qx "$2" "$DEPLOY/systemd/$1"
}
for line in 'User=tracemesh-agent' 'AmbientCapabilities=CAP_NET_RAW' 'CapabilityBoundingSet=CAP_NET_RAW' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' 'PrivateTmp=yes' 'Restart=on-failure' \
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_PACKET AF_UNIX'; do
    check "agent unit has $line" unit_has tracemesh-agent.service "$line"
done
check "agent unit sets jna.tmpdir to its cache directory" grep -q -- '-Djna.tmpdir=/var/cache/tracemesh-agent' \
    "$DEPLOY/systemd/tracemesh-agent.service"
check "agent unit has no ProcSubset or MemoryDenyWriteExecute (they break the agent)" \
    bash -c "! grep -Eq '^(ProcSubset|MemoryDenyWriteExecute)=' '$DEPLOY/systemd/tracemesh-agent.service'"

# --- install-agent.sh into a scratch root ------------------------------------------------------------------------
INSTALL=$DEPLOY/install/install-agent.sh
if [[ $(id -u) -eq 0 ]] && command -v useradd > /dev/null && command -v openssl > /dev/null; then
    ROOT=$WORK/root
    mkdir -p "$ROOT/etc" "$WORK/bundle"
    cp /etc/passwd /etc/group /etc/shadow /etc/gshadow "$ROOT/etc/"
    head -c 4096 /dev/urandom > "$WORK/agent.jar"
    printf 'secret\n' > "$WORK/bundle/kafka-password"
    head -c 64 /dev/urandom > "$WORK/bundle/truststore.p12"
    printf 'changeit\n' > "$WORK/bundle/truststore-password"
    openssl genpkey -algorithm ed25519 -out "$WORK/key.pem" 2> /dev/null
    openssl pkey -in "$WORK/key.pem" -pubout -out "$WORK/key.pub.pem"
    ARGS=(--local --root "$ROOT" --jar "$WORK/agent.jar" --agent-id fra1-a --site "Frankfurt DC1"
          --bootstrap-servers "k1.example.net:9093,k2.example.net:9093" --rate 250 --deny "203.0.113.0/24,192.0.2.7"
          --bundle "$WORK/bundle" --definitions-key "$WORK/key.pub.pem")
    check "install-agent.sh --root: first run" "$INSTALL" "${ARGS[@]}"
    uid=$(awk -F: '$1 == "tracemesh-agent" { print $3 }' "$ROOT/etc/passwd")
    gid=$(awk -F: '$1 == "tracemesh-agent" { print $3 }' "$ROOT/etc/group")
    if [[ -n $uid && -n $gid ]]; then
        pass "install-agent.sh --root: user and group tracemesh-agent added"
    else
        fail "install-agent.sh --root: user and group tracemesh-agent added"
        uid=x gid=x
    fi
    mode_is() {
        [[ $(stat -c '%a %u %g' "$ROOT$1") == "$2" ]] || { echo "$1: $(stat -c '%a %u %g' "$ROOT$1"), want $2"; return 1; }
    }
    for spec in "/opt/tracemesh 755 0 0" "/opt/tracemesh/agent.jar 644 0 0" "/etc/tracemesh 750 0 $gid" \
        "/etc/tracemesh/agent.yaml 640 0 $gid" "/etc/tracemesh/secrets 750 0 $gid" \
        "/etc/tracemesh/secrets/kafka-password 640 0 $gid" "/etc/tracemesh/secrets/truststore.p12 640 0 $gid" \
        "/etc/tracemesh/secrets/truststore-password 640 0 $gid" \
        "/etc/tracemesh/secrets/definitions-signing-key.pub.pem 640 0 $gid" \
        "/var/lib/tracemesh-agent 750 $uid $gid" "/etc/systemd/system/tracemesh-agent.service 644 0 0"; do
        read -r path mode owner group <<< "$spec"
        check "install-agent.sh --root: $path is $mode $owner:$group" mode_is "$path" "$mode $owner $group"
    done
    yaml_has() {
        grep -qxF -- "$1" "$ROOT/etc/tracemesh/agent.yaml" || { cat "$ROOT/etc/tracemesh/agent.yaml"; return 1; }
    }
    for line in '  id: "fra1-a"' '  site: "Frankfurt DC1"' '  rate: 250' \
        '  deny: ["203.0.113.0/24", "192.0.2.7"]' '  bootstrap-servers: "k1.example.net:9093,k2.example.net:9093"' \
        '  security-protocol: SASL_SSL' '    username: "fra1-a"' \
        '    password-file: /etc/tracemesh/secrets/kafka-password' \
        '    truststore: /etc/tracemesh/secrets/truststore.p12' \
        '  public-key: /etc/tracemesh/secrets/definitions-signing-key.pub.pem'; do
        check "agent.yaml has '${line# *}'" yaml_has "$line"
    done
    second_run_quiet() {
        "$INSTALL" "${ARGS[@]}" > "$WORK/second" 2>&1 || { cat "$WORK/second"; return 1; }
        ! grep -E 'installing|directory|adding' "$WORK/second"
    }
    check "install-agent.sh --root: a second run changes nothing" second_run_quiet
    refuses() {
        local want=$1
        shift
        if "$INSTALL" "$@" > "$WORK/err" 2>&1; then
            echo "exit status 0"
            return 1
        fi
        grep -q -- "$want" "$WORK/err" || { cat "$WORK/err"; return 1; }
    }
    check "install-agent.sh refuses no target" refuses "say where" --agent-id a --bootstrap-servers a:1
    check "install-agent.sh refuses a bad agent id" refuses "--agent-id 'a b'" --local --root "$ROOT" \
        --jar "$WORK/agent.jar" --agent-id 'a b' --bootstrap-servers a:1
    check "install-agent.sh refuses bad bootstrap servers" refuses "is not host:port" --local --root "$ROOT" \
        --jar "$WORK/agent.jar" --agent-id a --bootstrap-servers nope
    check "install-agent.sh refuses a bad deny entry" refuses "--deny" --local --root "$ROOT" \
        --jar "$WORK/agent.jar" --agent-id a --bootstrap-servers a:1 --deny 'x;y'
    check "install-agent.sh refuses SASL without a password" refuses "needs --sasl-password-file" --local \
        --root "$ROOT" --jar "$WORK/agent.jar" --agent-id a --bootstrap-servers a:1 --security-protocol SASL_SSL
    check "install-agent.sh refuses a private key as definitions key" refuses "not a PEM public key" --local \
        --root "$ROOT" --jar "$WORK/agent.jar" --agent-id a --bootstrap-servers a:1 --definitions-key "$WORK/key.pem"
    check "install-agent.sh --help" "$INSTALL" --help
else
    skip "install-agent.sh checks: need root, useradd and openssl"
fi

# --- YAML, Kubernetes, Ansible -----------------------------------------------------------------------------------
if python3 -c 'import yaml' 2> /dev/null; then
    while IFS= read -r f; do
        check "YAML parses: ${f#"$DEPLOY"/}" python3 -c 'import sys, yaml; list(yaml.safe_load_all(open(sys.argv[1])))' "$f"
    done < <(find "$DEPLOY" \( -name '*.yaml' -o -name '*.yml' \) -not -path '*/templates/*' -not -path '*/demo/*' | sort)
else
    skip "YAML syntax: python3 yaml not installed (apt-get install python3-yaml)"
fi
if command -v kubectl > /dev/null; then
    check "kubectl kustomize deploy/k8s" kubectl kustomize "$DEPLOY/k8s"
else
    skip "kubectl kustomize: kubectl not installed"
fi
if command -v ansible-playbook > /dev/null; then
    check "ansible-playbook --syntax-check" env ANSIBLE_CONFIG="$DEPLOY/ansible/ansible.cfg" \
        ansible-playbook --syntax-check -i "$DEPLOY/ansible/inventory.example.ini" "$DEPLOY/ansible/site.yml"
else
    skip "ansible-playbook --syntax-check: ansible-core not installed"
fi

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[[ $FAILED -eq 0 ]]

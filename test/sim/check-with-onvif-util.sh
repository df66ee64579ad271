set -u
# Checks the simulator against Debian's independent ONVIF client (onvif-tools: onvif-util), once, by hand:
test -z "$(ip route show default)" || { echo "refusing: this namespace has a route out; run it as: unshare -n bash $0" >&2; exit 9; }
#   unshare -n bash test/sim/check-with-onvif-util.sh
# onvif-util ALWAYS sends a WS-Discovery multicast on every interface first, even when given an address: so it runs
# only inside a network namespace of its own (A, via unshare -n) with the simulator in a second one (B), joined by a
# veth pair. Neither has a route out; the script refuses to go on when one has a default route.
# Runs inside `unshare -n` (namespace A, the client); the simulator runs in namespace B. Neither has a route out.
ip link set lo up
ip netns add toezicht-sim-b
trap 'ip netns del toezicht-sim-b' EXIT
ip link add cam0 type veth peer name cam1
ip link set cam1 netns toezicht-sim-b
ip addr add 10.99.0.1/24 dev cam0; ip link set cam0 up; ip route add 239.0.0.0/8 dev cam0
B="ip netns exec toezicht-sim-b"
$B ip link set lo up
for i in 10 11 12 13; do $B ip addr add 10.99.0.$i/24 dev cam1; done
$B ip link set cam1 up
$B ip route add 239.0.0.0/8 dev cam1
test -z "$(ip route show default)" && test -z "$($B ip route show default)" || exit 9
cd "$(dirname "$0")/../.."
$B env SIM_LOG=${SIM_LOG:-/tmp/onvif-sim.log} node test/sim/serve.mjs --count 4 --prefix 10.99.0. --start 10 --port 80 --netns-interface 10.99.0.10 > /tmp/onvif-sim.out 2>&1 &
SIM=$!
sleep 2
for a in 10.99.0.10 10.99.0.11 10.99.0.12 10.99.0.13; do
  echo "=== $a"
  printf 'get capabilities\nget time\nget profiles\nget rtsp\nget video\nget network\nquit\n' | timeout 30 onvif-util -u admin -p 'Geheim-123!' $a 2>&1 | head -60
done
kill $SIM; sleep 0.7

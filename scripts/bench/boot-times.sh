#!/usr/bin/env bash
# Boot time of each kernel of the test bed: the wall time of running `true` in it (start to exit:
# boot, the command, shutdown), the median of RUNS runs, pinned to CPU 0. Measured, never asserted;
# run it on a quiet machine (BENCHMARKS.md).
#   bash scripts/bench/boot-times.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

time_of() { # label, command...
	local label=$1 i start end
	shift
	local times=()
	for ((i = 0; i < runs; i++)); do
		start=$(date +%s%N)
		"$@" >/dev/null 2>&1 || { echo "| $label | failed |"; return; }
		end=$(date +%s%N)
		times+=("$(((end - start) / 1000000))")
	done
	printf '| %s | %s |\n' "$label" "$(printf '%s\n' "${times[@]}" | median | awk '{ printf "%.1f", $1 / 1000 }')"
}

uml612=$(find ~/.cache/netbond/uml -maxdepth 1 -type f -name "linux-6.12*" -perm -u+x 2>/dev/null | head -1)
echo "| kernel (start to exit of \`true\`, median of $runs) | s |"
echo '|---|---:|'
time_of "User-Mode Linux 6.1 (Debian's user-mode-linux)" env NETBOND_UML_CPU=0 bash scripts/test-bed/uml-run.sh -- true
if [[ -n $uml612 ]]; then
	time_of 'User-Mode Linux 6.12 (built by the test bed)' env NETBOND_UML_CPU=0 NETBOND_UML="$uml612" bash scripts/test-bed/uml-run.sh -- true
fi
time_of "Debian's linux-image 6.1 under QEMU (TCG), 6 NICs" bash scripts/test-bed/qemu-run.sh --image 6.1 --cpu 0 -- true
time_of "Debian's linux-image 6.12 under QEMU (TCG), 6 NICs" bash scripts/test-bed/qemu-run.sh --image 6.12 --cpu 0 -- true

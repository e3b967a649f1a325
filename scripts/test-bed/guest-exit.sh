# Sourced by uml-run.sh and qemu-run.sh: how a guest run ends. Uses the caller's prog,
# guest_timeout, host_timeout and die.
#
# exit_with_guest_status RUN_DIR VMM_STATUS VMM_NAME TIMEOUT_VARIABLE
# Exits with the command's status when the guest wrote one (saying so when its timeout fired);
# otherwise says why there is none and returns, for the caller to show the guest's last words and
# exit 125.
exit_with_guest_status() {
	local run=$1 vmm_status=$2 vmm=$3 timeout_variable=$4 rc
	if [[ -f $run/rc ]]; then
		rc=$(<"$run/rc")
		[[ $rc =~ ^[0-9]+$ && $rc -le 255 ]] || die "guest wrote a bad exit code: $rc"
		if [[ $rc == 124 ]]; then
			printf '%s: command timed out after %s (%s)\n' "$prog" "$guest_timeout" "$timeout_variable" >&2
		fi
		exit "$rc"
	fi
	if [[ $vmm_status == 124 ]]; then
		printf '%s: guest hung; host watchdog stopped it after %ss\n' "$prog" "$host_timeout" >&2
	else
		printf '%s: guest ended without an exit code (%s status %s)\n' "$prog" "$vmm" "$vmm_status" >&2
	fi
}

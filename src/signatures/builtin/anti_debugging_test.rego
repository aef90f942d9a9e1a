package tracee.TRC_2

test_ptrace_traceme_matches {
	tracee_match with input as {
		"eventName": "ptrace",
		"args": [{"name": "request", "value": "PTRACE_TRACEME"}, {"name": "pid", "value": 0}],
	}
}

test_ptrace_attach_does_not_match {
	not tracee_match with input as {
		"eventName": "ptrace",
		"args": [{"name": "request", "value": "PTRACE_ATTACH"}],
	}
}

test_event_without_args_does_not_match {
	not tracee_match with input as {"eventName": "ptrace", "args": []}
}

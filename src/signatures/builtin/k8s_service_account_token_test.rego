package tracee.TRC_8

test_token_read_by_shell_matches {
	tracee_match with input as {
		"eventName": "security_file_open", "processName": "sh",
		"args": [
			{"name": "pathname", "value": "/var/run/secrets/kubernetes.io/serviceaccount/token"},
			{"name": "flags", "value": "O_RDONLY"},
		],
	}
}

test_token_read_by_coredns_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open", "processName": "coredns",
		"args": [
			{"name": "pathname", "value": "/var/run/secrets/kubernetes.io/serviceaccount/token"},
			{"name": "flags", "value": "O_RDONLY"},
		],
	}
}

test_namespace_file_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open", "processName": "sh",
		"args": [
			{"name": "pathname", "value": "/var/run/secrets/kubernetes.io/serviceaccount/namespace"},
			{"name": "flags", "value": "O_RDONLY"},
		],
	}
}

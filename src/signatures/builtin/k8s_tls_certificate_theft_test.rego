package tracee.TRC_10

test_key_read_by_cat_matches {
	tracee_match with input as {
		"eventName": "security_file_open", "processName": "cat",
		"args": [{"name": "pathname", "value": "/etc/kubernetes/pki/ca.key"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

test_key_read_by_kubelet_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open", "processName": "kubelet",
		"args": [{"name": "pathname", "value": "/etc/kubernetes/pki/ca.key"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

test_other_directory_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open", "processName": "cat",
		"args": [{"name": "pathname", "value": "/etc/kubernetes/admin.conf"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

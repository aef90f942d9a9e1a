package tracee.TRC_7

test_ld_preload_in_env_matches {
	tracee_match with input as {"eventName": "execve", "args": [{"name": "envp", "value": ["PATH=/bin", "LD_PRELOAD=/tmp/evil.so"]}]}
}

test_ld_library_path_in_env_matches {
	tracee_match with input as {"eventName": "execve", "args": [{"name": "envp", "value": ["LD_LIBRARY_PATH=/tmp"]}]}
}

test_plain_env_does_not_match {
	not tracee_match with input as {"eventName": "execve", "args": [{"name": "envp", "value": ["PATH=/bin", "HOME=/root"]}]}
}

test_preload_file_write_matches {
	tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/etc/ld.so.preload"}, {"name": "flags", "value": "O_WRONLY|O_APPEND"}],
	}
}

test_preload_file_read_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/etc/ld.so.preload"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

package tracee.TRC_6

test_init_module_matches {
	tracee_match with input as {"eventName": "init_module", "args": [{"name": "len", "value": 4096}]}
}

test_module_file_read_gives_pathname {
	tracee_match == {"pathname": "/tmp/rootkit.ko"} with input as {
		"eventName": "security_kernel_read_file",
		"args": [{"name": "pathname", "value": "/tmp/rootkit.ko"}, {"name": "type", "value": "kernel-module"}],
	}
}

test_firmware_read_does_not_match {
	not tracee_match with input as {
		"eventName": "security_kernel_read_file",
		"args": [{"name": "pathname", "value": "/lib/firmware/x.bin"}, {"name": "type", "value": "firmware"}],
	}
}

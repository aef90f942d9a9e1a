package tracee.TRC_3

test_ptrace_poketext_matches {
	tracee_match with input as {"eventName": "ptrace", "args": [{"name": "request", "value": "PTRACE_POKETEXT"}]}
}

test_ptrace_peekdata_does_not_match {
	not tracee_match with input as {"eventName": "ptrace", "args": [{"name": "request", "value": "PTRACE_PEEKDATA"}]}
}

test_proc_mem_write_gives_flags_and_path {
	tracee_match == {"file flags": "O_WRONLY", "file path": "/proc/1234/mem"} with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/proc/1234/mem"}, {"name": "flags", "value": "O_WRONLY"}],
	}
}

test_proc_self_mem_rdwr_matches {
	tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/proc/self/mem"}, {"name": "flags", "value": "O_RDWR|O_CLOEXEC"}],
	}
}

test_proc_mem_read_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/proc/1234/mem"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

test_other_file_write_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/proc/1234/maps"}, {"name": "flags", "value": "O_WRONLY"}],
	}
}

test_process_vm_writev_to_other_process_matches {
	tracee_match with input as {"eventName": "process_vm_writev", "processId": 100, "args": [{"name": "pid", "value": 200}]}
}

test_process_vm_writev_to_self_does_not_match {
	not tracee_match with input as {"eventName": "process_vm_writev", "processId": 100, "args": [{"name": "pid", "value": 100}]}
}

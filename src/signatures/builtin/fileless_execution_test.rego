package tracee.TRC_5

test_memfd_on_host_matches {
	tracee_match with input as {"eventName": "sched_process_exec", "containerId": "", "args": [{"name": "pathname", "value": "memfd:payload"}]}
}

test_memfd_runc_on_host_does_not_match {
	not tracee_match with input as {"eventName": "sched_process_exec", "containerId": "", "args": [{"name": "pathname", "value": "memfd:runc_cloned:/proc/self/exe"}]}
}

test_memfd_runc_in_container_matches {
	tracee_match with input as {"eventName": "sched_process_exec", "containerId": "abc123", "args": [{"name": "pathname", "value": "memfd:runc"}]}
}

test_dev_shm_matches {
	tracee_match with input as {"eventName": "sched_process_exec", "containerId": "", "args": [{"name": "pathname", "value": "/dev/shm/x"}]}
}

test_run_shm_matches {
	tracee_match with input as {"eventName": "sched_process_exec", "args": [{"name": "pathname", "value": "/run/shm/x"}]}
}

test_regular_binary_does_not_match {
	not tracee_match with input as {"eventName": "sched_process_exec", "containerId": "", "args": [{"name": "pathname", "value": "/usr/bin/ls"}]}
}

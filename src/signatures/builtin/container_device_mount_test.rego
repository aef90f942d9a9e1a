package tracee.TRC_11

test_disk_mount_gives_device {
	tracee_match == {"mounted device": "/dev/sda1"} with input as {
		"eventName": "security_sb_mount",
		"args": [{"name": "dev_name", "value": "/dev/sda1"}, {"name": "path", "value": "/mnt"}],
	}
}

test_proc_mount_does_not_match {
	not tracee_match with input as {
		"eventName": "security_sb_mount",
		"args": [{"name": "dev_name", "value": "proc"}, {"name": "path", "value": "/proc"}],
	}
}

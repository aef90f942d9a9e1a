package tracee.TRC_14

test_release_agent_write_gives_flags_and_path {
	tracee_match == {"File Flags": "O_WRONLY|O_CREAT", "File Path": "/tmp/cgrp/release_agent"} with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/tmp/cgrp/release_agent"}, {"name": "flags", "value": "O_WRONLY|O_CREAT"}],
	}
}

test_release_agent_read_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/tmp/cgrp/release_agent"}, {"name": "flags", "value": "O_RDONLY"}],
	}
}

test_other_file_write_does_not_match {
	not tracee_match with input as {
		"eventName": "security_file_open",
		"args": [{"name": "pathname", "value": "/tmp/cgrp/notify_on_release"}, {"name": "flags", "value": "O_WRONLY"}],
	}
}

package tracee.TRC_9

# "f0VMRgIBAQAAAAAAAAAAAA==" is base64 for the first 16 bytes of an x86_64 ELF header.
test_elf_write_gives_path {
	tracee_match == {"file path": "/tmp/payload"} with input as {
		"eventName": "magic_write",
		"args": [{"name": "pathname", "value": "/tmp/payload"}, {"name": "bytes", "value": "f0VMRgIBAQAAAAAAAAAAAA=="}],
	}
}

# "IyEvYmluL3NoCg==" is "#!/bin/sh\n".
test_script_write_does_not_match {
	not tracee_match with input as {
		"eventName": "magic_write",
		"args": [{"name": "pathname", "value": "/tmp/run.sh"}, {"name": "bytes", "value": "IyEvYmluL3NoCg=="}],
	}
}

test_invalid_base64_does_not_match {
	not tracee_match with input as {
		"eventName": "magic_write",
		"args": [{"name": "pathname", "value": "/tmp/x"}, {"name": "bytes", "value": "not base64!"}],
	}
}

# A program executed from memory: a memfd, or a tmpfs mount meant for shared memory.
package tracee.TRC_5

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-5",
	"version": "0.1.0",
	"name": "Fileless Execution",
	"description": "A program was executed from memory (a memfd or /dev/shm) instead of from a file on disk.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 2,
		"MITRE ATT&CK": "Defense Evasion: Obfuscated Files or Information",
	},
}

eventSelectors := [{"source": "tracee", "name": "sched_process_exec"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

# runc re-executes itself from a memfd on the host; that one is expected.
tracee_match {
	path := helpers.get_tracee_argument("pathname")
	startswith(path, "memfd:")
	not startswith(path, "memfd:runc")
	input.containerId == ""
}

tracee_match {
	path := helpers.get_tracee_argument("pathname")
	startswith(path, "memfd:")
	input.containerId != ""
}

tracee_match {
	startswith(helpers.get_tracee_argument("pathname"), "/dev/shm")
}

tracee_match {
	startswith(helpers.get_tracee_argument("pathname"), "/run/shm")
}

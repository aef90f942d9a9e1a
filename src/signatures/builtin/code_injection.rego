# Writing into another process: ptrace text pokes, writes to /proc/<pid>/mem, or process_vm_writev
# aimed at a different process.
package tracee.TRC_3

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-3",
	"version": "0.1.0",
	"name": "Code injection",
	"description": "A process wrote code or data into the memory of another process.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Defense Evasion: Process Injection",
	},
}

eventSelectors := [
	{"source": "tracee", "name": "ptrace"},
	{"source": "tracee", "name": "security_file_open"},
	{"source": "tracee", "name": "process_vm_writev"},
]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match {
	input.eventName == "ptrace"
	request := helpers.get_tracee_argument("request")
	request == "PTRACE_POKETEXT"
}

tracee_match = finding {
	input.eventName == "security_file_open"
	flags := helpers.get_tracee_argument("flags")
	helpers.is_file_write(flags)
	path := helpers.get_tracee_argument("pathname")
	regex.match(`^/proc/(?:[0-9]+|self)/mem$`, path)
	finding := {"file flags": flags, "file path": path}
}

tracee_match {
	input.eventName == "process_vm_writev"
	target := helpers.get_tracee_argument("pid")
	target != input.processId
}

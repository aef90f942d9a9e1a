# A kernel module is loaded, from memory (init_module) or from a file (finit_module reads it).
package tracee.TRC_6

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-6",
	"version": "0.1.0",
	"name": "kernel module loading",
	"description": "A kernel module was loaded; modules run with full kernel privileges.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Persistence: Kernel Modules and Extensions",
	},
}

eventSelectors := [
	{"source": "tracee", "name": "init_module"},
	{"source": "tracee", "name": "security_kernel_read_file"},
]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match {
	input.eventName == "init_module"
}

tracee_match = {"pathname": helpers.get_tracee_argument("pathname")} {
	input.eventName == "security_kernel_read_file"
	helpers.get_tracee_argument("type") == "kernel-module"
}

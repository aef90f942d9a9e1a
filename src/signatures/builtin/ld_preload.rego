# Library injection through the dynamic loader: LD_PRELOAD / LD_LIBRARY_PATH in a new program's
# environment, or a write to /etc/ld.so.preload.
package tracee.TRC_7

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-7",
	"version": "0.1.0",
	"name": "LD_PRELOAD",
	"description": "The dynamic loader was told to load extra libraries into new programs.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 2,
		"MITRE ATT&CK": "Persistence: Hijack Execution Flow",
	},
}

eventSelectors := [
	{"source": "tracee", "name": "execve"},
	{"source": "tracee", "name": "security_file_open"},
]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

loader_variables := ["LD_PRELOAD", "LD_LIBRARY_PATH"]

tracee_match {
	input.eventName == "execve"
	envp := helpers.get_tracee_argument("envp")
	startswith(envp[_], loader_variables[_])
}

tracee_match {
	input.eventName == "security_file_open"
	helpers.is_file_write(helpers.get_tracee_argument("flags"))
	helpers.get_tracee_argument("pathname") == "/etc/ld.so.preload"
}

# Writing a cgroup v1 release_agent from a container runs a program on the host when the cgroup empties.
package tracee.TRC_14

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-14",
	"version": "0.1.0",
	"name": "CGroups Release Agent File Modification",
	"description": "A process in a container opened a cgroup release_agent file for writing, a known container escape.",
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Privilege Escalation: Escape to Host",
	},
}

eventSelectors := [{"source": "tracee", "name": "security_file_open", "origin": "container"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match = {"File Flags": flags, "File Path": path} {
	flags := helpers.get_tracee_argument("flags")
	helpers.is_file_write(flags)
	path := helpers.get_tracee_argument("pathname")
	endswith(path, "/release_agent")
}

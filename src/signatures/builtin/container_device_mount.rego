# A container mounts a block device, which usually means reaching the host's disks.
package tracee.TRC_11

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-11",
	"version": "0.1.0",
	"name": "Container Device Mount Detected",
	"description": "A process in a container mounted a device, a common step to escape to the host.",
	"tags": ["container"],
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Privilege Escalation: Escape to Host",
	},
}

eventSelectors := [{"source": "tracee", "name": "security_sb_mount", "origin": "container"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match = {"mounted device": device} {
	device := helpers.get_tracee_argument("dev_name")
	startswith(device, "/dev/")
}

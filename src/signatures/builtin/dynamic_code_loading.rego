# Memory that was writable and executable becomes executable only: code was written, then sealed.
package tracee.TRC_4

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-4",
	"version": "0.1.0",
	"name": "Dynamic Code Loading",
	"description": "A memory region went from writable and executable to executable only, a sign of code written at run time.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 2,
		"MITRE ATT&CK": "Defense Evasion: Obfuscated Files or Information",
	},
}

eventSelectors := [{"source": "tracee", "name": "mem_prot_alert"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match {
	input.eventName == "mem_prot_alert"
	helpers.get_tracee_argument("alert") == "Protection changed from W+E to E!"
}

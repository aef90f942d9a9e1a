# An ELF file is written inside a running container: new code that was not in the image.
package tracee.TRC_9

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-9",
	"version": "0.1.0",
	"name": "New Executable Was Dropped During Runtime",
	"description": "An executable (ELF) file was written inside a running container.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 2,
		"MITRE ATT&CK": "Defense Evasion: Masquerading",
	},
}

eventSelectors := [{"source": "tracee", "name": "magic_write", "origin": "container"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

tracee_match = {"file path": path} {
	helpers.is_elf_file(helpers.get_tracee_argument("bytes"))
	path := helpers.get_tracee_argument("pathname")
}

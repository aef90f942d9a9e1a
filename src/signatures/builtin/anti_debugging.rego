# A process asks to be traced by its parent (PTRACE_TRACEME), a common trick to stop debuggers attaching.
package tracee.TRC_2

__rego_metadoc__ := {
	"id": "TRC-2",
	"version": "0.1.0",
	"name": "Anti-Debugging",
	"description": "A process called ptrace(PTRACE_TRACEME), which keeps other debuggers from attaching to it.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Defense Evasion: Execution Guardrails",
	},
}

tracee_selected_events[selector] {
	selector := {"source": "tracee", "name": "ptrace"}
}

tracee_match {
	input.eventName == "ptrace"
	arg := input.args[_]
	arg.name == "request"
	arg.value == "PTRACE_TRACEME"
}

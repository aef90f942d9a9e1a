# A web server starts a shell: the typical result of exploiting a web application.
package tracee.TRC_12

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-12",
	"version": "0.1.0",
	"name": "Illegitimate Shell",
	"description": "A web server process executed a shell.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 2,
		"MITRE ATT&CK": "Initial Access: Exploit Public-Facing Application",
	},
}

eventSelectors := [{"source": "tracee", "name": "security_bprm_check", "origin": "*"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

shells := ["/ash", "/bash", "/csh", "/ksh", "/sh", "/tcsh", "/zsh", "/dash"]

# comm is cut to 15 characters, hence "httpd-foregroun".
web_servers := ["nginx", "httpd", "httpd-foregroun", "lighttpd", "apache", "apache2"]

tracee_match {
	path := helpers.get_tracee_argument("pathname")
	endswith(path, shells[_])
	input.processName == web_servers[_]
}

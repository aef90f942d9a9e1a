# A container reads its Kubernetes service-account token, and the reader is not one of the
# cluster components that do so routinely.
package tracee.TRC_8

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-8",
	"version": "0.1.0",
	"name": "K8S Service Account Token Use Detected",
	"description": "A process in a container read the Kubernetes service-account token, which grants API access.",
	"tags": ["container"],
	"properties": {
		"Severity": 0,
		"MITRE ATT&CK": "Credential Access: Credentials from Password Stores",
	},
}

eventSelectors := [{"source": "tracee", "name": "security_file_open", "origin": "container"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

expected_readers := {"flanneld", "kube-proxy", "etcd", "kube-apiserver", "coredns", "kube-controller"}

tracee_match {
	helpers.is_file_read(helpers.get_tracee_argument("flags"))
	path := helpers.get_tracee_argument("pathname")
	contains(path, "secrets/kubernetes.io/serviceaccount")
	endswith(path, "token")
	not expected_readers[input.processName]
}

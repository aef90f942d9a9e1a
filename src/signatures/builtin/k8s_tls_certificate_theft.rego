# Kubernetes' private keys and certificates are read by something other than the control plane.
package tracee.TRC_10

import data.tracee.helpers

__rego_metadoc__ := {
	"id": "TRC-10",
	"version": "0.1.0",
	"name": "K8S TLS Certificate Theft Detected",
	"description": "A process that is not part of the Kubernetes control plane read the cluster's TLS material.",
	"tags": ["linux", "container"],
	"properties": {
		"Severity": 3,
		"MITRE ATT&CK": "Credential Access: Steal Application Access Token",
	},
}

eventSelectors := [{"source": "tracee", "name": "security_file_open", "origin": "*"}]

tracee_selected_events[selector] {
	selector := eventSelectors[_]
}

control_plane := {"kube-apiserver", "kubelet", "kube-controller", "etcd"}

tracee_match {
	helpers.is_file_read(helpers.get_tracee_argument("flags"))
	startswith(helpers.get_tracee_argument("pathname"), "/etc/kubernetes/pki/")
	not control_plane[input.processName]
}

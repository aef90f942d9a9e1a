package tracee.TRC_4

test_w_e_to_e_matches {
	tracee_match with input as {"eventName": "mem_prot_alert", "args": [{"name": "alert", "value": "Protection changed from W+E to E!"}]}
}

test_mmap_w_e_does_not_match {
	not tracee_match with input as {"eventName": "mem_prot_alert", "args": [{"name": "alert", "value": "Mmaped region with W+E permissions!"}]}
}

test_numeric_alert_does_not_match {
	not tracee_match with input as {"eventName": "mem_prot_alert", "args": [{"name": "alert", "value": 4}]}
}

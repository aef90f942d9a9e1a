package tracee.TRC_12

test_nginx_running_bash_matches {
	tracee_match with input as {"eventName": "security_bprm_check", "processName": "nginx", "args": [{"name": "pathname", "value": "/bin/bash"}]}
}

test_apache2_running_dash_matches {
	tracee_match with input as {"eventName": "security_bprm_check", "processName": "apache2", "args": [{"name": "pathname", "value": "/usr/bin/dash"}]}
}

test_nginx_running_ls_does_not_match {
	not tracee_match with input as {"eventName": "security_bprm_check", "processName": "nginx", "args": [{"name": "pathname", "value": "/bin/ls"}]}
}

test_sshd_running_bash_does_not_match {
	not tracee_match with input as {"eventName": "security_bprm_check", "processName": "sshd", "args": [{"name": "pathname", "value": "/bin/bash"}]}
}

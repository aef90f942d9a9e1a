# vigil's helper functions for Rego signatures (package data.tracee.helpers).
# Every Rego signature is compiled together with this module; signatures use it through
# `import data.tracee.helpers`.
package tracee.helpers

# The value of the event argument named arg_name; undefined when the event has no such argument.
# The argument is looked up in the current input, so it follows `with input as …` in tests.
get_tracee_argument(arg_name) = value {
	arg := input.args[_]
	arg.name == arg_name
	value := arg.value
}

# Open flags as tracee prints them with parse-arguments ("O_WRONLY|O_CREAT|O_TRUNC").
write_access_modes := {"o_wronly", "o_rdwr"}

read_access_modes := {"o_rdonly", "o_rdwr"}

default is_file_write(flags) = false

is_file_write(flags) {
	contains(lower(flags), write_access_modes[_])
}

default is_file_read(flags) = false

is_file_read(flags) {
	contains(lower(flags), read_access_modes[_])
}

# True when base64-encoded bytes start with the ELF magic (0x7f 'E' 'L' 'F').
default is_elf_file(string) = false

is_elf_file(string) {
	decoded := base64.decode(string)
	lower(substring(decoded, 1, 3)) == "elf"
}

// The contract's descriptor set, embedded with the assembler's .incbin (the
// path comes from CMake's NRP_DESCRIPTOR_SET). This file is compiled without
// ccache, which cannot see the included file change.
#ifndef NRPCTL_DESCRIPTOR_SET
#error "NRPCTL_DESCRIPTOR_SET must name the contract's descriptor set"
#endif

asm(".section .rodata\n"
    ".global nrpctl_contract_descriptor_set\n"
    ".type nrpctl_contract_descriptor_set, @object\n"
    ".balign 16\n"
    "nrpctl_contract_descriptor_set:\n"
    ".incbin \"" NRPCTL_DESCRIPTOR_SET
    "\"\n"
    ".global nrpctl_contract_descriptor_set_end\n"
    ".type nrpctl_contract_descriptor_set_end, @object\n"
    "nrpctl_contract_descriptor_set_end:\n"
    ".byte 0\n"
    ".previous\n");

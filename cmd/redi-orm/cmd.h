/*
 * The redi-orm command's subcommands. Each has a main-shaped entry that receives the arguments
 * after the subcommand name (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef REDI_ORM_CMD_H
#define REDI_ORM_CMD_H

int cmd_migrate(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif

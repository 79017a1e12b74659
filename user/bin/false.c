/*
 * false - do nothing, unsuccessfully: exit status 1.
 * Useful in scripts: "false || echo no".
 */
int main(void)
{
	return 1;
}

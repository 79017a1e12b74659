/*
 * true - do nothing, successfully: exit status 0.
 * Useful in scripts: "true && echo yes".
 */
int main(void)
{
	return 0;
}

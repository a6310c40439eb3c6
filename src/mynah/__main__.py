from mynah.cli import main

main()

module example.com/health

go 1.19

module github.com/ipr-go/ipr/tools/gen

go 1.23.0

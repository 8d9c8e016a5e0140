using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MySecureApi.Features.Messages.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageActor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Actor",
                table: "messages",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.UpdateData(
                table: "messages",
                keyColumn: "Id",
                keyValue: 1L,
                column: "Actor",
                value: null);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Actor",
                table: "messages");
        }
    }
}
